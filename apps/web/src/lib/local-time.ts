import { timeZone } from '@sabor/contracts/values';

/*
 * Staff enter opening and closing times as wall-clock time in the municipality (a
 * <input type="datetime-local"> value, "2026-04-01T10:00"); the API wants an instant with its
 * offset. Sofia is +02:00 in winter and +03:00 in summer, so the offset is asked of Intl for
 * that date instead of being written down.
 */

const localPattern = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/;

const partsFormat = new Intl.DateTimeFormat('en-GB', {
  timeZone,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

/** The wall-clock fields in Sofia at `instant`. */
function sofiaFields(
  instant: Date,
): Record<'year' | 'month' | 'day' | 'hour' | 'minute' | 'second', number> {
  const fields = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0 };
  for (const part of partsFormat.formatToParts(instant)) {
    if (part.type in fields) fields[part.type as keyof typeof fields] = Number(part.value);
  }
  return fields;
}

/** Sofia's offset from UTC at `instant`, in minutes (120 or 180). */
export function sofiaOffsetMinutes(instant: Date): number {
  const f = sofiaFields(instant);
  const asUtc = Date.UTC(f.year, f.month - 1, f.day, f.hour, f.minute, f.second);
  return Math.round((asUtc - Math.floor(instant.getTime() / 1000) * 1000) / 60_000);
}

function pad(value: number, length = 2): string {
  return String(Math.abs(value)).padStart(length, '0');
}

function offsetText(minutes: number): string {
  return `${minutes < 0 ? '-' : '+'}${pad(Math.trunc(Math.abs(minutes) / 60))}:${pad(Math.abs(minutes) % 60)}`;
}

/**
 * "2026-04-01T10:00" (Sofia wall-clock time) → "2026-04-01T10:00:00+03:00", or null when the value
 * is not a real date and time. A time skipped when clocks go forward is read with the offset from
 * before the change (03:30 on that night is 04:30 summer time); a time that happens twice when clocks
 * go back is the first of the two.
 */
export function sofiaLocalToIso(local: string): string | null {
  const match = localPattern.exec(local.trim());
  if (!match) return null;
  const [year, month, day, hour, minute, second] = match.slice(1).map((v) => Number(v ?? 0)) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const wallAsUtc = Date.UTC(year, month - 1, day, hour, minute, second);
  const check = new Date(wallAsUtc);
  if (
    check.getUTCFullYear() !== year ||
    check.getUTCMonth() !== month - 1 ||
    check.getUTCDate() !== day ||
    hour > 23 ||
    minute > 59 ||
    second > 59
  ) {
    return null;
  }
  // The offset a few hours before and after the wall time: equal except around a change.
  const before = sofiaOffsetMinutes(new Date(wallAsUtc - 6 * 3_600_000));
  const after = sofiaOffsetMinutes(new Date(wallAsUtc + 6 * 3_600_000));
  let offset = before;
  if (before !== after) {
    // The earlier reading that really shows this wall time wins; in a gap, keep the old offset.
    const candidates = [before, after].filter((candidate) => {
      const f = sofiaFields(new Date(wallAsUtc - candidate * 60_000));
      return f.hour === hour && f.minute === minute && f.day === day;
    });
    offset = candidates.sort((a, b) => b - a)[0] ?? before;
  }
  const seconds = pad(second);
  return `${pad(year, 4)}-${pad(month)}-${pad(day)}T${pad(hour)}:${pad(minute)}:${seconds}${offsetText(offset)}`;
}

/** An instant as a datetime-local value in Sofia ("2026-04-01T10:00"); '' for an invalid date. */
export function isoToSofiaLocal(iso: string): string {
  const instant = new Date(iso);
  if (Number.isNaN(instant.getTime())) return '';
  const f = sofiaFields(instant);
  return `${pad(f.year, 4)}-${pad(f.month)}-${pad(f.day)}T${pad(f.hour)}:${pad(f.minute)}`;
}
