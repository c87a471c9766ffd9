// Phone numbers are stored in E.164 ("+33612345678"); French ones are shown the French way.
export function displayPhone(e164) {
  const french = /^\+33(\d)(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(e164 || '');
  return french ? '0' + french.slice(1).join(' ') : e164 || '';
}
