// French formats for the API's exact decimal strings: no floating point on money.
const THIN = '\u202f';  // the narrow no-break space French uses between thousands

function group(integer) {
  return integer.replace(/\B(?=(\d{3})+(?!\d))/g, THIN);
}

// "1234.5" → "1 234,50" with `decimals` digits (padding or keeping what is there).
export function decimal(text, decimals) {
  if (text === null || text === undefined || text === '') return '';
  const value = String(text);
  const negative = value.startsWith('-');
  const [integer, fraction = ''] = (negative ? value.slice(1) : value).split('.');
  let digits = fraction;
  if (decimals !== undefined) digits = (fraction + '0'.repeat(decimals)).slice(0, Math.max(decimals, fraction.replace(/0+$/, '').length));
  return (negative ? '−' : '') + group(integer) + (digits ? ',' + digits : '');
}

export const euros = (text) => (text === null || text === undefined ? '' : `${decimal(text, 2)}${THIN}€`);
// A unit price: 2 decimals, more only when they say something ("7.8000" → "7,80 €", "12.6857" → "12,6857 €").
export const price = (text) => (text === null || text === undefined ? '' : `${decimal(text, 2)}${THIN}€`);
export const quantity = (text) => decimal(text);
export const percent = (text) => `${decimal(text, 2)}${THIN}%`;

// A score (price score, weighted total) rounded to 2 decimals, half away from zero: "97.9310" → "97,93".
export function score(text) {
  if (text === null || text === undefined || text === '') return '';
  if (!/^-?\d+(\.\d+)?$/.test(String(text))) return String(text);
  return decimal(toText(rescale(parseDecimal(text), 2), 2), 2);
}

// A whole number of the charts' axes and tooltips, written as the tables write it
// ("−1 234 €": narrow no-break spaces, the true minus sign).
const wholeNumber = new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 0 });
export const chartEuros = (value) => `${wholeNumber.format(value).replace('-', '−').replace(/[\s\u00a0]/g, THIN)}${THIN}€`;

// A SIREN (9 digits) or SIRET (14) grouped as printed on a Kbis: "123 456 789", "123 456 789 00012".
export function siren(text) {
  const digits = String(text ?? '').replace(/\D/g, '');
  if (digits.length === 9) return digits.replace(/^(\d{3})(\d{3})(\d{3})$/, '$1\u00a0$2\u00a0$3');
  if (digits.length === 14) return digits.replace(/^(\d{3})(\d{3})(\d{3})(\d{5})$/, '$1\u00a0$2\u00a0$3\u00a0$4');
  return String(text ?? '');
}

export function date(text) {
  if (!text) return '';
  const [y, m, d] = String(text).slice(0, 10).split('-');
  return `${d}/${m}/${y}`;
}

const MONTHS = ['janvier', 'février', 'mars', 'avril', 'mai', 'juin', 'juillet', 'août', 'septembre', 'octobre', 'novembre', 'décembre'];

// "2026-03-12" → "12 mars 2026" ("1er mars 2026"), the date written out as in a letter.
export function longDate(text) {
  if (!text) return '';
  const [y, m, d] = String(text).slice(0, 10).split('-').map(Number);
  return `${d === 1 ? '1er' : d} ${MONTHS[m - 1]} ${y}`;
}

// "2027-01-15T12:00:00+01:00" (the API's Paris time) → "15/01/2027 à 12:00 (heure de Paris)".
export function parisDateTime(text) {
  if (!text) return '';
  return `${date(text)} à ${String(text).slice(11, 16)} (heure de Paris)`;
}

// "12,5" typed by a French user → "12.5" for the API (the API refuses anything ambiguous).
export function toApiDecimal(text) {
  return String(text).trim().replace(/[\s\u202f\u00a0]/g, '').replace(',', '.');
}

export const statusLabels = {
  draft: 'brouillon', submitted: 'soumis', pooled: 'mutualisé', tendered: 'en consultation', awarded: 'attribué',
  withdrawn: 'retiré', published: 'publiée', closed: 'close', cancelled: 'annulée', open: 'ouvert',
  unsuccessful: 'infructueux', received: 'reçue', valid: 'régulière', irregular: 'irrégulière', rejected: 'rejetée',
};
export const label = (status) => statusLabels[status] || status;

// The French administrative day and clock are Paris's, whatever the browser's time zone.
function parisParts(moment) {
  const parts = new Intl.DateTimeFormat('fr-FR', {
    timeZone: 'Europe/Paris', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
  }).formatToParts(moment);
  return Object.fromEntries(parts.map((p) => [p.type, p.value]));
}

// Today (or `moment`) in Paris, as the API's "YYYY-MM-DD".
export function parisDay(moment = new Date()) {
  const p = parisParts(moment);
  return `${p.year}-${p.month}-${p.day}`;
}

// An instant of the API in UTC ("2026-12-02T15:52:58Z") → "02/12/2026 à 16:52" in Paris.
export function parisMoment(text) {
  if (!text) return '';
  const p = parisParts(new Date(text));
  return `${p.day}/${p.month}/${p.year} à ${p.hour}:${p.minute}`;
}

// Calendar days from `from` to `day` (both "YYYY-MM-DD"): 0 on the day itself.
export function daysUntil(day, from = parisDay()) {
  const utc = (text) => Date.UTC(Number(text.slice(0, 4)), Number(text.slice(5, 7)) - 1, Number(text.slice(8, 10)));
  return Math.round((utc(day) - utc(from)) / 86400e3);
}

// Exact decimal arithmetic on the API's strings (BigInt, never floating point):
// "12.5" → { digits: 125n, scale: 1 }.
function parseDecimal(text) {
  const value = String(text ?? '0').trim() || '0';
  const negative = value.startsWith('-');
  const [integer, fraction = ''] = (negative ? value.slice(1) : value).split('.');
  const digits = BigInt((integer || '0') + fraction);
  return { digits: negative ? -digits : digits, scale: fraction.length };
}

function toText(digits, scale) {
  const negative = digits < 0n;
  const text = (negative ? -digits : digits).toString().padStart(scale + 1, '0');
  const integer = text.slice(0, text.length - scale);
  const fraction = scale ? `.${text.slice(text.length - scale)}` : '';
  return `${negative ? '-' : ''}${integer}${fraction}`;
}

// Rounds to `scale` decimals, half away from zero, as the engine does.
function rescale({ digits, scale }, target) {
  if (scale <= target) return digits * 10n ** BigInt(target - scale);
  const divisor = 10n ** BigInt(scale - target);
  const negative = digits < 0n;
  const magnitude = negative ? -digits : digits;
  const rounded = (magnitude + divisor / 2n) / divisor;
  return negative ? -rounded : rounded;
}

// quantity × unit price, to the cent ("12.5" × "1.8000" → "22.50"); null when either is not a number.
export function lineAmount(quantityText, priceText) {
  if (!/^-?\d+(\.\d+)?$/.test(String(quantityText)) || !/^-?\d+(\.\d+)?$/.test(String(priceText))) return null;
  const q = parseDecimal(quantityText);
  const p = parseDecimal(priceText);
  return toText(rescale({ digits: q.digits * p.digits, scale: q.scale + p.scale }, 2), 2);
}

// The sum of decimal strings, at the largest scale among them ("1.5" + "2.25" → "3.75").
export function sumDecimals(texts) {
  const parsed = texts.filter((t) => t !== null && t !== undefined && t !== '').map(parseDecimal);
  const scale = Math.max(0, ...parsed.map((p) => p.scale));
  return toText(parsed.reduce((total, p) => total + rescale(p, scale), 0n), scale);
}

// a − b on decimal strings.
export function subtractDecimals(a, b) {
  const [x, y] = [parseDecimal(a), parseDecimal(b)];
  const scale = Math.max(x.scale, y.scale);
  return toText(rescale(x, scale) - rescale(y, scale), scale);
}

// The share a/b in per cent as a number, for bars and colours only (never for figures shown as money).
export function share(part, whole) {
  const w = Number(whole);
  return w > 0 ? (Number(part) / w) * 100 : 0;
}

// A figure of a framework's maximum in its basis: euros HT, or the lot's unit.
export function inBasis(basis, text, unit) {
  if (text === null || text === undefined) return '—';
  return basis === 'quantity' ? quantityWithUnit(text, unit) : euros(text);
}

// The API's unit codes (engine/units.cpp) as French readers say them, singular and plural.
// Symbols (kg, m², kWh…) never take a plural; words do from 2 on (« 1,5 jour », « 12 jours »).
const unitNames = {
  u: ['unité', 'unités'], kg: ['kg'], t: ['t'], l: ['l'], m3: ['m³'], kWh: ['kWh'], MWh: ['MWh'], m: ['m'], m2: ['m²'],
  h: ['heure', 'heures'], day: ['jour', 'jours'], month: ['mois', 'mois'], lot: ['lot', 'lots'],
};
export const unitCodes = Object.keys(unitNames);
// The unit's name for `count` of it (the singular without a count, as in a select).
export function unitLabel(unit, count) {
  const names = unitNames[unit];
  if (!names) return unit || '';
  const plural = count !== undefined && count !== null && Math.abs(Number(String(count).replace(',', '.'))) >= 2;
  return plural ? names[names.length - 1] : names[0];
}
// "12" "day" → "12 jours"; "2.8" "m3" → "2,8 m³".
export const quantityWithUnit = (text, unit) => `${quantity(text)}${unit ? ` ${unitLabel(unit, text)}` : ''}`;

const SHORT_MONTHS = ['janv.', 'févr.', 'mars', 'avr.', 'mai', 'juin', 'juil.', 'août', 'sept.', 'oct.', 'nov.', 'déc.'];

// "2026-12" → "déc. 2026" (the month as tables and charts abbreviate it).
export function monthLabel(text) {
  if (!text) return '';
  const [y, m] = String(text).split('-').map(Number);
  return `${SHORT_MONTHS[m - 1]} ${y}`;
}

// A Paris wall-clock time typed in a datetime-local field ("2027-01-15T12:00") → the instant
// with Paris's offset of that day ("2027-01-15T12:00:00+01:00", "2027-07-15T12:00:00+02:00"),
// whatever the browser's own time zone. A time that does not exist in Paris (the hour skipped
// when summer time starts) gives null; a time that occurs twice (the hour repeated in
// October) is the first one, still in summer time.
export function parisInstant(local) {
  const m = /^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d)$/.exec(String(local || ''));
  if (!m) return null;
  const wall = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]));
  const offsetAt = (instant) => {
    const p = parisParts(new Date(instant));
    return Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute)) - instant;
  };
  // Both offsets around the wall time; the larger (summer) one first, for the repeated hour.
  const candidates = [...new Set([offsetAt(wall - 3 * 3600e3), offsetAt(wall + 3 * 3600e3)])].sort((a, b) => b - a);
  const offset = candidates.find((o) => offsetAt(wall - o) === o);
  if (offset === undefined) return null;
  const minutes = offset / 60e3;
  const pad = (n) => String(Math.abs(n)).padStart(2, '0');
  return `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:00${minutes < 0 ? '-' : '+'}${pad(Math.trunc(minutes / 60))}:${pad(minutes % 60)}`;
}

// An instant of the API → the value of a datetime-local field in Paris time ("2027-01-15T12:00").
export function parisLocal(instant) {
  if (!instant) return '';
  const p = parisParts(new Date(instant));
  return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}`;
}

// A Paris time typed → the instant sent; the hour skipped when summer time starts is refused by its field.
export function parisDeadline(local, name) {
  const instant = parisInstant(local);
  if (!instant) {
    const message = 'Cette heure n’existe pas à Paris (passage à l’heure d’été) : choisissez-en une autre.';
    throw Object.assign(new Error(message), { fields: [{ field: name, message }] });
  }
  return instant;
}
