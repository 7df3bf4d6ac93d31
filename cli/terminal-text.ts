/**
 * Everything the CLI prints passes through here. Text the CLI did not write
 * (agent answers, tool names, event fields, server messages) could carry
 * terminal escape sequences that clear the screen, rewrite earlier lines,
 * retitle the window, plant hyperlinks or reorder text; printed raw, a
 * terminal obeys them. The CLI itself writes no control characters besides
 * newline and tab, so all others are removed from its output.
 */

// ESC-introduced sequences: CSI (ESC [ … final byte), OSC/DCS/SOS/PM/APC strings (ESC ] P X ^ _ … up to BEL or ESC \),
// and two-byte escapes (ESC + one character); then the same introduced by their 8-bit C1 forms.
const ESCAPE_SEQUENCE =
  /\u001b\[[\u0030-\u003f]*[\u0020-\u002f]*[\u0040-\u007e]?|\u001b[\]PX^_][^\u0007\u001b\u009c]*(?:\u0007|\u001b\\|\u009c)?|\u001b[\u0020-\u007e]?|\u009b[\u0030-\u003f]*[\u0020-\u002f]*[\u0040-\u007e]?|[\u0090\u009d\u0098\u009e\u009f][^\u0007\u001b\u009c]*(?:\u0007|\u001b\\|\u009c)?/g;

// Any control character left (C0 but tab and newline, DEL, C1), and the Unicode bidirectional
// overrides and isolates that make a terminal show text in another order than it is.
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/**
 * `text` with escape sequences and control characters removed (newline and tab kept).
 * @example terminalSafe('refund \u001b[2Jdone\u0007') // 'refund done'
 */
export function terminalSafe(text: string): string {
  return text.replace(ESCAPE_SEQUENCE, '').replace(CONTROL, '');
}

// JSON.stringify already escapes C0; these it leaves raw, so they are escaped for the terminal (the data is unchanged).
const RAW_IN_JSON = /[\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/** JSON for the terminal: the same value, with every character a terminal would act on written as a \u escape. */
export function terminalJson(value: unknown, indent?: number): string {
  return (JSON.stringify(value, null, indent) ?? 'null').replace(RAW_IN_JSON, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Prints to standard output, made terminal-safe. */
export function printOut(text: string): void {
  process.stdout.write(terminalSafe(text));
}

/** Prints to standard error, made terminal-safe. */
export function printErr(text: string): void {
  process.stderr.write(terminalSafe(text));
}
