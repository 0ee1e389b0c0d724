/** Limits of the counter's records that forms check in the browser and services check again. */

export const maxStaffNameLength = 80;
export const maxDeviceNameLength = 80;
/** A PIN is 4 to 6 digits. */
export const pinPattern = /^\d{4,6}$/;
