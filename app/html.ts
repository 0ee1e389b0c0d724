/** Text made safe for HTML built as a string (pages rendered outside React). */
export const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
