// Phone numbers are stored in E.164 ("+33612345678"); numbers of France's ten-digit plan are shown the
// French way, as PhoneNumber.Display does on the server: "06 12 34 56 78", and "0692 12 34 56" for the
// overseas departments (+262 Réunion and Mayotte, +590 Guadeloupe, +594 Guyane, +596 Martinique).
export function displayPhone(e164) {
  const metropolitan = /^\+33(\d)(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(e164 || '');
  if (metropolitan) return '0' + metropolitan.slice(1).join(' ');
  const overseas = /^\+(?:262|590|594|596)(\d{3})(\d{2})(\d{2})(\d{2})$/.exec(e164 || '');
  return overseas ? '0' + overseas.slice(1).join(' ') : e164 || '';
}
