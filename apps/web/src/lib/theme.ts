export const defaultColors = { primary: '#1d4f91', accent: '#9c2a1c' } as const;

const hexColor = /^#[0-9a-f]{6}$/i;

function channel(value: number): number {
  const c = value / 255;
  return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
}

function luminance(hex: string): number {
  const [r = 0, g = 0, b = 0] = [1, 3, 5].map((i) => channel(parseInt(hex.slice(i, i + 2), 16)));
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** WCAG 2.x contrast ratio of two #rrggbb colours. */
export function contrastRatio(a: string, b: string): number {
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (light + 0.05) / (dark + 0.05);
}

/**
 * The configured colour if it is a #rrggbb value readable on white (4.5:1, WCAG AA for body
 * text; it is used for links, headings and as a background under white text), else the default.
 */
export function safeColor(value: string, fallback: string): string {
  if (!hexColor.test(value)) return fallback;
  return contrastRatio(value, '#ffffff') >= 4.5 ? value.toLowerCase() : fallback;
}

export function themeCss(colors: { primary: string; accent: string }): string {
  const primary = safeColor(colors.primary, defaultColors.primary);
  const accent = safeColor(colors.accent, defaultColors.accent);
  return `:root{--color-primary:${primary};--color-accent:${accent};}\n`;
}
