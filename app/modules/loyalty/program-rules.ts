/** A program's vocabulary, free of server code so forms in the browser can use it too. */
export const programKinds = ["points", "stamps"] as const;
export type ProgramKind = (typeof programKinds)[number];

/** When points expire: never, N months after they were earned, or N months after the card's last activity. */
export const pointsExpiryRules = ["none", "after_earning", "after_inactivity"] as const;
export type PointsExpiryRule = (typeof pointsExpiryRules)[number];
