import { describe, expect, it } from 'vitest';
import { contrastRatio, defaultColors, safeColor, themeCss } from './theme';

describe('theme colours', () => {
  it('defaults reach WCAG AA contrast (4.5:1) on white', () => {
    expect(contrastRatio(defaultColors.primary, '#ffffff')).toBeGreaterThanOrEqual(4.5);
    expect(contrastRatio(defaultColors.accent, '#ffffff')).toBeGreaterThanOrEqual(4.5);
  });

  it('computes the known extremes', () => {
    expect(contrastRatio('#000000', '#ffffff')).toBeCloseTo(21, 5);
    expect(contrastRatio('#777777', '#777777')).toBeCloseTo(1, 5);
  });

  it('refuses values that are not #rrggbb, so nothing can break out of the CSS rule', () => {
    expect(safeColor('red;}body{display:none', '#1d4f91')).toBe('#1d4f91');
    expect(safeColor('#fff', '#1d4f91')).toBe('#1d4f91');
  });

  it('refuses colours too light to read on white', () => {
    expect(safeColor('#ffcc00', '#1d4f91')).toBe('#1d4f91');
    expect(safeColor('#0B3D2E', '#1d4f91')).toBe('#0b3d2e');
  });

  it('writes the custom properties', () => {
    expect(themeCss({ primary: '#123456', accent: '#9c2a1c' })).toBe(
      ':root{--color-primary:#123456;--color-accent:#9c2a1c;}\n',
    );
  });
});
