import { z } from 'zod';
import type { Locale } from './common';

/** Stable machine codes. Clients translate these; never rename one. */
export const errorCodes = [
  'validation_failed',
  'invalid_json',
  'payload_too_large',
  'unsupported_media_type',
  'unauthorized',
  'forbidden',
  'cross_origin',
  'not_found',
  'too_many_requests',
  'email_taken',
  'invalid_credentials',
  'account_suspended',
  'password_too_common',
  'password_incorrect',
  'token_invalid',
  'setup_closed',
  'cannot_change_own_role',
  'cannot_suspend_self',
  'consultation_period_too_short',
  'consultation_invalid_state',
  'consultation_dates_locked',
  'consultation_body_published',
  'response_not_on_proposal',
  'report_already_published',
  'report_incomplete',
  'consultation_not_open',
  'comment_deleted',
  'comment_edit_window_closed',
  'cannot_support_own_comment',
  'comment_hidden',
  'comment_rate_limited',
  'already_reported',
  'cannot_report_own_comment',
  'moderation_already_decided',
  'moderation_not_hidden',
  'moderation_held_needs_decision',
  'cannot_suspend_staff',
  'document_type_not_allowed',
  'document_too_large',
  'document_locked',
  'event_invalid_state',
  'event_cancelled',
  'event_registration_closed',
  'event_sign_in_required',
  'event_questions_locked',
  'already_registered',
  'registration_cancelled',
  'ticket_invalid',
  'ticket_unknown',
  'ticket_other_event',
  'ticket_cancelled',
  'ticket_not_confirmed',
  'ticket_already_used',
  'survey_invalid_state',
  'survey_structure_locked',
  'survey_not_open',
  'survey_already_answered',
  'idempotency_key_in_use',
  'idempotency_key_reused',
  'internal_error',
  'service_unavailable',
] as const;
export const errorCodeSchema = z.enum(errorCodes);
export type ErrorCode = z.infer<typeof errorCodeSchema>;

/** Codes of single field problems, shown next to the field. */
export const fieldErrorCodes = [
  'required',
  'invalid',
  'too_short',
  'too_long',
  'too_small',
  'too_big',
  'invalid_email',
  'file_empty',
  'control_characters',
  'password_too_common',
  'email_taken',
  'password_incorrect',
  'closes_before_opens',
  'period_too_short',
  'short_period_reason_required',
  'stance_not_allowed',
  'reply_parent_invalid',
  'decisions_missing',
  'ends_before_starts',
  'consent_required',
  'too_few_choices',
  'too_many_choices',
  'unknown_option',
  'other_not_allowed',
  'invalid_date',
  'ranking_incomplete',
  'matrix_incomplete',
] as const;
export type FieldErrorCode = (typeof fieldErrorCodes)[number];

export const fieldErrorSchema = z.object({
  code: z.string(),
  message: z.string(),
});

export const errorBodySchema = z.object({
  error: z.object({
    code: errorCodeSchema,
    message: z.string(),
    fields: z.record(z.string(), fieldErrorSchema).optional(),
    /**
     * When a refused request may be tried again (a limit that lifts by itself): ISO 8601, sent with
     * the matching Retry-After header. The message already says it in the caller's language.
     */
    retryAt: z.iso.datetime({ offset: true }).optional(),
  }),
});
export type ErrorBody = z.infer<typeof errorBodySchema>;
export type FieldErrors = NonNullable<ErrorBody['error']['fields']>;

export const errorMessages: Record<ErrorCode, Record<Locale, string>> = {
  validation_failed: {
    bg: 'Някои полета не са попълнени правилно.',
    en: 'Some fields are not filled in correctly.',
  },
  invalid_json: { bg: 'Заявката не е валиден JSON.', en: 'The request body is not valid JSON.' },
  payload_too_large: { bg: 'Заявката е твърде голяма.', en: 'The request is too large.' },
  unsupported_media_type: {
    bg: 'Този вид съдържание не се приема.',
    en: 'This content type is not accepted.',
  },
  unauthorized: { bg: 'Моля, влезте в профила си.', en: 'Please sign in.' },
  forbidden: { bg: 'Нямате права за това действие.', en: 'You are not allowed to do this.' },
  cross_origin: {
    bg: 'Заявката идва от друг сайт и е отказана.',
    en: 'The request comes from another site and was refused.',
  },
  not_found: { bg: 'Не е намерено.', en: 'Not found.' },
  too_many_requests: {
    bg: 'Твърде много опити. Опитайте отново по-късно.',
    en: 'Too many attempts. Please try again later.',
  },
  email_taken: {
    bg: 'Вече има профил с този имейл адрес.',
    en: 'An account with this email address already exists.',
  },
  invalid_credentials: {
    bg: 'Грешен имейл или парола.',
    en: 'Wrong email or password.',
  },
  account_suspended: {
    bg: 'Профилът е спрян. Свържете се с общината.',
    en: 'This account is suspended. Please contact the municipality.',
  },
  password_too_common: {
    bg: 'Тази парола е твърде често срещана. Изберете друга.',
    en: 'This password is too common. Please choose another.',
  },
  password_incorrect: { bg: 'Текущата парола е грешна.', en: 'The current password is wrong.' },
  token_invalid: {
    bg: 'Връзката е невалидна, вече е използвана или е изтекла.',
    en: 'The link is invalid, already used or expired.',
  },
  setup_closed: {
    bg: 'Първоначалната настройка вече е извършена.',
    en: 'The initial setup has already been done.',
  },
  cannot_change_own_role: {
    bg: 'Не можете да промените собствената си роля.',
    en: 'You cannot change your own role.',
  },
  cannot_suspend_self: {
    bg: 'Не можете да спрете собствения си профил.',
    en: 'You cannot suspend your own account.',
  },
  consultation_period_too_short: {
    bg: 'Срокът на консултацията не може да е по-кратък от 14 дни.',
    en: 'A consultation cannot run for less than 14 days.',
  },
  consultation_invalid_state: {
    bg: 'Това действие не е възможно в текущото състояние на консултацията.',
    en: 'This action is not possible in the consultation’s current state.',
  },
  consultation_dates_locked: {
    bg: 'Датите не могат да се променят, след като консултацията е открита.',
    en: 'The dates cannot be changed once the consultation has opened.',
  },
  consultation_body_published: {
    bg: 'Текстът вече е публикуван: публикувайте нова версия вместо това.',
    en: 'The text is already public: publish a new version instead.',
  },
  response_not_on_proposal: {
    bg: 'Официален отговор се дава само на предложения, не на отговори в дискусията.',
    en: 'Official responses are given to proposals only, not to replies in the discussion.',
  },
  report_already_published: {
    bg: 'Справката за тази консултация вече е публикувана; тя и отговорите в нея не се променят.',
    en: 'The report of this consultation is already published; it and its responses no longer change.',
  },
  report_incomplete: {
    bg: 'Не всички предложения имат окончателно решение.',
    en: 'Not every proposal has a final decision yet.',
  },
  consultation_not_open: {
    bg: 'Консултацията не е открита: коментари, редакции и подкрепа не се приемат.',
    en: 'The consultation is not open: comments, edits and support are not accepted.',
  },
  comment_deleted: {
    bg: 'Този коментар е изтрит.',
    en: 'This comment has been deleted.',
  },
  comment_edit_window_closed: {
    bg: 'Коментар може да се редактира само до 15 минути след публикуването му.',
    en: 'A comment can be edited only within 15 minutes of posting it.',
  },
  cannot_support_own_comment: {
    bg: 'Не можете да подкрепите собствения си коментар.',
    en: 'You cannot support your own comment.',
  },
  comment_hidden: {
    bg: 'Този коментар е скрит от модератор и не може да се променя.',
    en: 'This comment has been hidden by a moderator and cannot be changed.',
  },
  comment_rate_limited: {
    bg: 'Публикувате твърде често. Новите профили имат ограничение за броя коментари.',
    en: 'You are posting too often. New accounts may post only a limited number of comments.',
  },
  already_reported: {
    bg: 'Вече сте сигнализирали за този коментар; модераторите ще го прегледат.',
    en: 'You have already reported this comment; the moderators will review it.',
  },
  cannot_report_own_comment: {
    bg: 'Не можете да сигнализирате за собствения си коментар.',
    en: 'You cannot report your own comment.',
  },
  moderation_already_decided: {
    bg: 'Друг модератор вече е взел решение по този елемент. Опреснете опашката.',
    en: 'Another moderator has already decided this item. Refresh the queue.',
  },
  moderation_not_hidden: {
    bg: 'Коментарът не е скрит, така че няма какво да се възстанови.',
    en: 'The comment is not hidden, so there is nothing to restore.',
  },
  moderation_held_needs_decision: {
    bg: 'Задържан коментар се одобрява или скрива; „Прегледано“ би го оставило задържано завинаги.',
    en: 'A held comment is approved or hidden; marking it reviewed would leave it held for good.',
  },
  cannot_suspend_staff: {
    bg: 'Модератор не може да спира профил на администратор или друг модератор.',
    en: 'A moderator cannot suspend an administrator or another moderator.',
  },
  document_type_not_allowed: {
    bg: 'Приемат се само документи PDF, DOCX и ODT.',
    en: 'Only PDF, DOCX and ODT documents are accepted.',
  },
  document_too_large: {
    bg: 'Документът е твърде голям.',
    en: 'The document is too large.',
  },
  document_locked: {
    bg: 'Документите на открита или приключила консултация не могат да се изтриват.',
    en: 'The documents of an open or closed consultation cannot be deleted.',
  },
  event_invalid_state: {
    bg: 'Това действие не е възможно в текущото състояние на събитието.',
    en: 'This action is not possible in the event’s current state.',
  },
  event_cancelled: {
    bg: 'Събитието е отменено.',
    en: 'The event has been cancelled.',
  },
  event_registration_closed: {
    bg: 'Регистрацията за това събитие не е отворена.',
    en: 'Registration for this event is not open.',
  },
  event_sign_in_required: {
    bg: 'За това събитие могат да се регистрират само хора с профил. Моля, влезте в профила си.',
    en: 'Only people with an account can register for this event. Please sign in.',
  },
  event_questions_locked: {
    bg: 'Въпросите не могат да се променят, след като някой се е регистрирал.',
    en: 'The questions cannot be changed once someone has registered.',
  },
  already_registered: {
    bg: 'Вече има регистрация за това събитие с този профил или имейл адрес.',
    en: 'There is already a registration for this event with this account or email address.',
  },
  registration_cancelled: {
    bg: 'Тази регистрация е отменена или е изтекла.',
    en: 'This registration has been cancelled or has expired.',
  },
  ticket_invalid: {
    bg: 'Невалиден билет: кодът е сгрешен или подправен.',
    en: 'Invalid ticket: the code is mistyped or forged.',
  },
  ticket_unknown: {
    bg: 'Няма такъв билет.',
    en: 'There is no such ticket.',
  },
  ticket_other_event: {
    bg: 'Билетът е за друго събитие.',
    en: 'This ticket is for another event.',
  },
  ticket_cancelled: {
    bg: 'Регистрацията по този билет е отменена.',
    en: 'The registration of this ticket has been cancelled.',
  },
  ticket_not_confirmed: {
    bg: 'Регистрацията по този билет не е потвърдена (чака потвърждение или е в списъка с чакащи).',
    en: 'The registration of this ticket is not confirmed (awaiting confirmation or on the waitlist).',
  },
  ticket_already_used: {
    bg: 'Този билет вече е използван.',
    en: 'This ticket has already been used.',
  },
  survey_invalid_state: {
    bg: 'Това действие не е възможно в текущото състояние на анкетата.',
    en: 'This action is not possible in the survey’s current state.',
  },
  survey_structure_locked: {
    bg: 'Анкетата вече има отговори: текстовете могат да се поправят, но въпроси и възможности не могат да се добавят, премахват или променят по смисъл.',
    en: 'The survey already has responses: texts can be corrected, but questions and options cannot be added, removed or changed in meaning.',
  },
  survey_not_open: {
    bg: 'Анкетата не приема отговори в момента.',
    en: 'The survey is not accepting responses at the moment.',
  },
  survey_already_answered: {
    bg: 'Вече сте отговорили на тази анкета; можете да редактирате отговора си, докато тя е отворена.',
    en: 'You have already answered this survey; you can edit your response while it is open.',
  },
  idempotency_key_in_use: {
    bg: 'Същата заявка все още се обработва.',
    en: 'The same request is still being processed.',
  },
  idempotency_key_reused: {
    bg: 'Ключът за идемпотентност е използван за друга заявка.',
    en: 'This idempotency key was used for a different request.',
  },
  internal_error: {
    bg: 'Възникна неочаквана грешка. Опитайте отново.',
    en: 'An unexpected error occurred. Please try again.',
  },
  service_unavailable: {
    bg: 'Услугата временно не е достъпна.',
    en: 'The service is temporarily unavailable.',
  },
};

export const fieldErrorMessages: Record<FieldErrorCode, Record<Locale, string>> = {
  required: { bg: 'Полето е задължително.', en: 'This field is required.' },
  invalid: { bg: 'Невалидна стойност.', en: 'Invalid value.' },
  too_short: {
    bg: 'Твърде кратко: поне {min} знака.',
    en: 'Too short: at least {min} characters.',
  },
  too_long: {
    bg: 'Твърде дълго: най-много {max} знака.',
    en: 'Too long: at most {max} characters.',
  },
  too_small: { bg: 'Стойността е твърде малка.', en: 'The value is too small.' },
  too_big: { bg: 'Стойността е твърде голяма.', en: 'The value is too large.' },
  invalid_email: { bg: 'Въведете валиден имейл адрес.', en: 'Enter a valid email address.' },
  file_empty: { bg: 'Файлът е празен.', en: 'The file is empty.' },
  control_characters: {
    bg: 'Текстът съдържа непозволени управляващи знаци.',
    en: 'The text contains control characters that are not allowed.',
  },
  password_too_common: errorMessages.password_too_common,
  email_taken: errorMessages.email_taken,
  password_incorrect: errorMessages.password_incorrect,
  closes_before_opens: {
    bg: 'Крайната дата трябва да е след началната.',
    en: 'The closing date must be after the opening date.',
  },
  period_too_short: {
    bg: 'Срокът трябва да е поне {min} дни.',
    en: 'The period must be at least {min} days.',
  },
  short_period_reason_required: {
    bg: 'При срок под {days} дни посочете мотиви; те се публикуват.',
    en: 'For a period under {days} days, give the reasons; they are published.',
  },
  stance_not_allowed: {
    bg: 'Позиция се посочва само в предложение, не в отговор.',
    en: 'A stance is given only on a proposal, not on a reply.',
  },
  reply_parent_invalid: {
    bg: 'Можете да отговорите само на коментар от същата консултация.',
    en: 'You can only reply to a comment in the same consultation.',
  },
  decisions_missing: {
    bg: 'Предложения без окончателно решение: {count}.',
    en: 'Proposals without a final decision: {count}.',
  },
  ends_before_starts: {
    bg: 'Краят трябва да е след началото.',
    en: 'The end must be after the start.',
  },
  consent_required: {
    bg: 'Без това съгласие регистрацията не е възможна.',
    en: 'Registration is not possible without this consent.',
  },
  too_few_choices: {
    bg: 'Изберете поне {min}.',
    en: 'Choose at least {min}.',
  },
  too_many_choices: {
    bg: 'Изберете най-много {max}.',
    en: 'Choose at most {max}.',
  },
  unknown_option: {
    bg: 'Избраната възможност не съществува.',
    en: 'The chosen option does not exist.',
  },
  other_not_allowed: {
    bg: 'Този въпрос няма възможност „Друго“.',
    en: 'This question has no “other” option.',
  },
  invalid_date: {
    bg: 'Въведете дата във вида ГГГГ-ММ-ДД.',
    en: 'Enter a date as YYYY-MM-DD.',
  },
  ranking_incomplete: {
    bg: 'Подредете всички възможности, всяка по веднъж.',
    en: 'Rank every option, each once.',
  },
  matrix_incomplete: {
    bg: 'Изберете по един отговор на всеки ред.',
    en: 'Choose one answer in every row.',
  },
};

export function fieldErrorMessage(
  code: FieldErrorCode,
  locale: Locale,
  params: Record<string, string | number> = {},
): string {
  return fieldErrorMessages[code][locale].replace(/\{(\w+)\}/g, (_, key: string) =>
    String(params[key] ?? ''),
  );
}

/** Time zone of the municipality: every time a message names is its local time. */
const messageTimeZone = 'Europe/Sofia';
const intlLocales: Record<Locale, string> = { bg: 'bg-BG', en: 'en-GB' };

const retrySentences: Record<Locale, { today: string; later: string }> = {
  bg: {
    today: 'Можете да публикувате отново в {time} ({wait}).',
    later: 'Можете да публикувате отново на {date} в {time} ({wait}).',
  },
  en: {
    today: 'You can post again at {time} ({wait}).',
    later: 'You can post again on {date} at {time} ({wait}).',
  },
};

/** "in 12 minutes" / "след 2 часа": the wait rounded up to whole minutes, hours past two hours. */
function waitPhrase(milliseconds: number, locale: Locale): string {
  const minutes = Math.max(1, Math.ceil(milliseconds / 60_000));
  const relative = new Intl.RelativeTimeFormat(intlLocales[locale], { numeric: 'always' });
  return minutes <= 120
    ? relative.format(minutes, 'minute')
    : relative.format(Math.round(minutes / 60), 'hour');
}

/**
 * When the caller may try again, in `locale` and the municipality's time: "You can post again at
 * 14:35 (in 12 minutes)." The date is named when it is not today there.
 */
export function retryAtMessage(retryAt: Date, locale: Locale, now: Date = new Date()): string {
  const day = (moment: Date) =>
    new Intl.DateTimeFormat('en-CA', { timeZone: messageTimeZone }).format(moment);
  const time = new Intl.DateTimeFormat(intlLocales[locale], {
    timeZone: messageTimeZone,
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(retryAt);
  const date = new Intl.DateTimeFormat(intlLocales[locale], {
    timeZone: messageTimeZone,
    day: 'numeric',
    month: 'long',
  }).format(retryAt);
  const sentence = retrySentences[locale][day(retryAt) === day(now) ? 'today' : 'later'];
  const params: Record<string, string> = {
    time,
    date,
    wait: waitPhrase(retryAt.getTime() - now.getTime(), locale),
  };
  return sentence.replace(/\{(\w+)\}/g, (_, key: string) => params[key] ?? '');
}
