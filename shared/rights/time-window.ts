/**
 * Time windows of rules ("weekdays 09:00–17:30 in America/Los_Angeles"),
 * evaluated in the window's IANA time zone with Intl so daylight-saving
 * changes are handled by the platform's time-zone data.
 */
import type { TimeWindow, Weekday } from './rule-schema';

const formatters = new Map<string, Intl.DateTimeFormat>();

/** The local weekday and HH:MM of an instant in a time zone. */
export function localClock(now: Date, timeZone: string): { day: Weekday; time: string } {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    formatters.set(timeZone, f);
  }
  const parts = Object.fromEntries(f.formatToParts(now).map((p) => [p.type, p.value]));
  return { day: parts.weekday.toLowerCase().slice(0, 3) as Weekday, time: `${parts.hour}:${parts.minute}` };
}

/**
 * Whether `now` falls in the window; when it does not, why (for explanations).
 * Hours are `from` inclusive and `to` exclusive; `from` later than `to` spans
 * midnight, and then `days` names the day the clock currently shows.
 */
export function checkWindow(window: TimeWindow, now: Date): { inside: true } | { inside: false; why: string } {
  const { day, time } = localClock(now, window.timeZone);
  const at = `${day} ${time} ${window.timeZone}`;
  if (window.days && !window.days.includes(day)) return { inside: false, why: `${at} is not on ${window.days.join(', ')}` };
  if (window.hours) {
    const { from, to } = window.hours;
    const inside = from < to ? time >= from && time < to : time >= from || time < to;
    if (!inside) return { inside: false, why: `${at} is outside ${from}–${to}` };
  }
  return { inside: true };
}
