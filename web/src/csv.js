// CSV as French spreadsheets read it: « ; » between fields, a decimal comma, CRLF line
// ends, UTF-8 with a byte-order mark (so that Excel shows the accents), quotes only when
// a field needs them. Amounts go in as the API's exact decimal strings ("1234.50" → "1234,50").
export const frenchNumber = (text) => (text === null || text === undefined ? '' : String(text).replace('.', ','));

function cell(value) {
  const text = value === null || value === undefined ? '' : String(value);
  return /[";\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvText(header, rows) {
  return `\ufeff${[header, ...rows].map((row) => row.map(cell).join(';')).join('\r\n')}\r\n`;
}

// Offers `text` (or a Blob) as a file named `name` to download.
export function downloadFile(name, content) {
  const link = document.createElement('a');
  link.href = URL.createObjectURL(content instanceof Blob ? content : new Blob([content], { type: 'text/csv;charset=utf-8' }));
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 10000);
}
