import { describe, expect, it } from 'vitest';
import { emailSchema, lineText, multilineText } from './common';
import {
  errorCodes,
  errorMessages,
  fieldErrorCodes,
  fieldErrorMessage,
  fieldErrorMessages,
} from './errors';
import { registerBodySchema } from './auth';

describe('error messages', () => {
  it('exist in Bulgarian and English for every code', () => {
    for (const code of errorCodes) {
      expect(errorMessages[code].bg.trim(), code).not.toBe('');
      expect(errorMessages[code].en.trim(), code).not.toBe('');
      expect(errorMessages[code].bg).not.toBe(errorMessages[code].en);
    }
    for (const code of fieldErrorCodes) {
      expect(fieldErrorMessages[code].bg.trim(), code).not.toBe('');
      expect(fieldErrorMessages[code].en.trim(), code).not.toBe('');
    }
  });

  it('fill in limits', () => {
    expect(fieldErrorMessage('too_short', 'bg', { min: 10 })).toBe('Твърде кратко: поне 10 знака.');
  });
});

describe('text fields', () => {
  it('trim single-line text and refuse control characters and line breaks', () => {
    const name = lineText(20);
    expect(name.parse('  Иван  ')).toBe('Иван');
    expect(name.safeParse('a\u0000b').success).toBe(false);
    expect(name.safeParse('a\nb').success).toBe(false);
    expect(name.safeParse('a\u202eb').success).toBe(true);
    expect(name.safeParse('я'.repeat(21)).success).toBe(false);
  });

  it('keep newlines and tabs in multi-line text', () => {
    expect(multilineText(50).parse('ред 1\n\tред 2')).toBe('ред 1\n\tред 2');
    expect(multilineText(50).safeParse('\u001b[31m').success).toBe(false);
  });

  it('normalise emails to lower case', () => {
    expect(emailSchema.parse(' Ivan@Example.BG ')).toBe('ivan@example.bg');
    expect(emailSchema.safeParse('ivan@').success).toBe(false);
  });

  it('require a password of at least 10 characters on registration', () => {
    const base = { email: 'a@b.bg', displayName: 'A' };
    expect(registerBodySchema.safeParse({ ...base, password: '123456789' }).success).toBe(false);
    expect(registerBodySchema.safeParse({ ...base, password: '1234567890' }).success).toBe(true);
  });
});
