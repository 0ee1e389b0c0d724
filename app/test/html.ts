/** A translated string as React writes it into HTML text, for `toContain` on a page body. */
export const inHtml = (text: string) =>
  text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#x27;");

export const htmlLang = (body: string) => /<html[^>]* lang="([^"]+)"/.exec(body)?.[1];
