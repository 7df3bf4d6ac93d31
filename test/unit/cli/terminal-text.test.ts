/** Issue 18, defect 12: the CLI strips control and escape sequences from what it prints. */
import { terminalJson, terminalSafe } from '../../../cli/terminal-text';

describe('terminalSafe', () => {
  const cases: Array<[string, string, string]> = [
    ['clear screen and cursor moves', 'a\u001b[2J\u001b[1;1Hb\u001b[?25l', 'ab'],
    ['colours', '\u001b[31mred\u001b[0m', 'red'],
    ['window title (OSC ended by BEL)', 'x\u001b]0;pwned\u0007y', 'xy'],
    ['hyperlink (OSC 8 ended by ST)', '\u001b]8;;https://evil.example\u001b\\click\u001b]8;;\u001b\\', 'click'],
    ['8-bit CSI', 'a\u009b2Jb', 'ab'],
    ['two-byte escape (reset terminal)', 'a\u001bcb', 'ab'],
    ['carriage return overwriting a line', 'denied\rALLOWED', 'deniedALLOWED'],
    ['backspaces, bell, NUL, DEL', 'a\b\b\u0007\u0000\u007fb', 'ab'],
    ['bidi override (Trojan Source)', 'pay \u202eevil\u202c now \u2066x\u2069', 'pay evil now x'],
    ['a lone ESC at the end', 'text\u001b', 'text'],
    ['plain text, newlines and tabs kept', 'Refund $64.00 on KC-10482\n\tapproved — ok ✓ 日本', 'Refund $64.00 on KC-10482\n\tapproved — ok ✓ 日本'],
  ];
  test.each(cases)('%s', (_what, input, expected) => {
    expect(terminalSafe(input)).toBe(expected);
  });
});

test('terminalJson keeps the data and escapes what a terminal would act on', () => {
  const value = { text: 'a\u001b[2J\u009b\u202eb', n: 1 };
  const out = terminalJson(value);
  expect(out).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e]/);
  expect(JSON.parse(out)).toEqual(value);
});
