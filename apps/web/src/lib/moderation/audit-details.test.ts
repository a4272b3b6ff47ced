import { describe, expect, it } from 'vitest';
import { auditDetailLines, auditReasonText } from './audit-details';

const uuid = '0e366394-736f-46e8-afb6-f486ab6e568e';

describe('audit details as sentences', () => {
  it('names a decision’s cause and public reason, and leaves ids out', () => {
    const details = { itemId: uuid, consultationId: uuid, cause: 'reported', reasonCode: 'spam' };
    expect(auditDetailLines(details, 'bg')).toEqual([
      'Защо беше в опашката: Сигнал от жители',
      'Публична причина: спам или реклама',
    ]);
    expect(auditDetailLines(details, 'en')).toEqual([
      'Why it was in the queue: Reported by residents',
      'Public reason: spam or advertising',
    ]);
  });

  it('names roles, a suspension’s end and a consultation’s state', () => {
    expect(auditDetailLines({ from: 'resident', to: 'moderator' }, 'bg')).toEqual([
      'Роля: Жител → Модератор',
    ]);
    expect(auditDetailLines({ until: null }, 'en')).toEqual(['Until further notice']);
    expect(auditDetailLines({ state: 'open' }, 'bg')).toEqual(['Състояние: Открита']);
  });

  it('tells what changed in the moderation settings, by the settings page’s names', () => {
    const before = { autoHideReports: 3, holdLinksFromNewAccounts: true, wordsBg: ['спам'] };
    const after = {
      autoHideReports: 5,
      holdLinksFromNewAccounts: true,
      wordsBg: ['спам', 'измама'],
    };
    const lines = auditDetailLines({ before, after }, 'en');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/: 3 → 5$/);
    expect(lines[1]).toBe('In Bulgarian: спам → спам, измама');
  });

  it('shows an unforeseen field as “field: value”, never as JSON or an id', () => {
    const lines = auditDetailLines(
      { count: 1200, flags: ['a', 'b'], nested: { x: true }, other: uuid },
      'bg',
    );
    expect(lines).toEqual(['count: 1200', 'flags: a, b', 'nested: x: да']);
    expect(lines.join(' ')).not.toMatch(/[{}]/);
  });

  it('has nothing to say for an entry without details', () => {
    expect(auditDetailLines(null, 'bg')).toEqual([]);
  });
});

describe('the reason of an audit entry', () => {
  it('leaves out a hiding’s reason code (the details name it) and keeps the moderator’s words', () => {
    const details = { reasonCode: 'spam' };
    expect(auditReasonText('spam', details)).toBeNull();
    expect(auditReasonText('spam: Повтаря се', details)).toBe('Повтаря се');
    expect(auditReasonText('Моля, спазвайте правилата.', null)).toBe('Моля, спазвайте правилата.');
    expect(auditReasonText(null, details)).toBeNull();
  });
});
