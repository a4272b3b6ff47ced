import { randomBytes, timingSafeEqual } from 'node:crypto';
import { encodeBase32LowerCaseNoPadding } from '@oslojs/encoding';
import QRCode from 'qrcode';
import type { Signer } from '../../signer';

const idBytes = 10;
const macBytes = 5;
const idChars = 16; // 80 bits in base32
const macChars = 8; // 40 bits in base32

/** A new random ticket id: 80 bits, base32 lower case (16 characters). */
export function newTicketId(): string {
  return encodeBase32LowerCaseNoPadding(randomBytes(idBytes));
}

function ticketMac(signer: Signer, ticketId: string): string {
  return encodeBase32LowerCaseNoPadding(signer.mac('ticket', ticketId).subarray(0, macBytes));
}

/**
 * The code on a ticket: the random id and a 40-bit HMAC of it, upper case in groups of four
 * (`ABCD-EFGH-IJKL-MNOP-QRST-UVWX`), short enough to type at the door. Without the key nobody can
 * make a code the server accepts; guessing one takes about 2^40 tries, against one request each.
 */
export function ticketCode(signer: Signer, ticketId: string): string {
  const raw = `${ticketId}${ticketMac(signer, ticketId)}`.toUpperCase();
  return raw.match(/.{1,4}/g)!.join('-');
}

/**
 * The ticket id of a typed or scanned code (spaces, dashes and case ignored), or null when the
 * code is malformed or its MAC does not match (forged or altered).
 */
export function parseTicketCode(signer: Signer, input: string): string | null {
  const raw = input.replace(/[\s-]/g, '').toLowerCase();
  if (!/^[a-z2-7]+$/.test(raw) || raw.length !== idChars + macChars) return null;
  const ticketId = raw.slice(0, idChars);
  const given = Buffer.from(raw.slice(idChars));
  const expected = Buffer.from(ticketMac(signer, ticketId));
  return timingSafeEqual(given, expected) ? ticketId : null;
}

/**
 * The secret of the links in a registration's mails (confirm, view, cancel): an HMAC of its id, so
 * nothing is stored and every mail can carry it. 52 base32 characters.
 */
export function registrationToken(signer: Signer, registrationId: string): string {
  return encodeBase32LowerCaseNoPadding(signer.mac('registration', registrationId));
}

export function verifyRegistrationToken(
  signer: Signer,
  registrationId: string,
  token: string,
): boolean {
  const expected = Buffer.from(registrationToken(signer, registrationId));
  const given = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** The QR code of a ticket code as an SVG data URL (pages show it in an `<img>`). */
export async function ticketQrDataUrl(code: string): Promise<string> {
  const svg = await QRCode.toString(code, { type: 'svg', margin: 2, errorCorrectionLevel: 'M' });
  return `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`;
}

/** The QR code as a PNG (mail clients show PNG, not SVG). */
export async function ticketQrPng(code: string): Promise<Buffer> {
  return QRCode.toBuffer(code, { type: 'png', margin: 2, width: 240, errorCorrectionLevel: 'M' });
}
