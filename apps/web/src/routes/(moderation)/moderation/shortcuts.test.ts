import { describe, expect, it } from 'vitest';
import { shortcutFor, shortcutKeys } from './shortcuts';

const press = (key: string, context: Partial<Parameters<typeof shortcutFor>[0]> = {}) =>
  shortcutFor({ key, modified: false, typing: false, onItem: false, ...context });

describe('queue keyboard shortcuts', () => {
  it('map the documented keys to their commands', () => {
    expect(press('j')).toBe('next');
    expect(press('k')).toBe('previous');
    expect(press('x')).toBe('select');
    expect(press('a')).toBe('approve');
    expect(press('h')).toBe('hide');
    expect(press('r')).toBe('restore');
    expect(press('v')).toBe('review');
    expect(press('o')).toBe('open');
    expect(press('?')).toBe('help');
    expect(press('J')).toBe('next'); // Caps Lock on
  });

  it('never act while the person types or uses the browser’s own shortcuts', () => {
    expect(press('a', { typing: true })).toBeNull();
    expect(press('?', { typing: true })).toBeNull();
    expect(press('r', { modified: true })).toBeNull(); // Ctrl+R reloads
    expect(press('q')).toBeNull();
    expect(press('ArrowDown')).toBeNull();
  });

  it('open with Enter only from the item itself, not from a button or link in it', () => {
    expect(press('Enter', { onItem: true })).toBe('open');
    expect(press('Enter')).toBeNull();
  });

  it('list every command once in the help', () => {
    const listed = shortcutKeys.map((entry) => entry.shortcut);
    expect(new Set(listed).size).toBe(listed.length);
    for (const { shortcut, keys } of shortcutKeys) {
      for (const key of keys) expect(press(key, { onItem: true })).toBe(shortcut);
    }
  });
});
