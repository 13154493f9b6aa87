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
export const price = (text) => (text === null || text === undefined ? '' : `${decimal(text, 4)}${THIN}€`);
export const quantity = (text) => decimal(text);
export const percent = (text) => `${decimal(text, 2)}${THIN}%`;

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
