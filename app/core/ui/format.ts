// Dates and money always in fr-FR conventions; times in the tenant's time zone.
export function formatDate(iso: string | Date, timeZone: string) {
  return new Intl.DateTimeFormat("fr-FR", { dateStyle: "long", timeZone }).format(new Date(iso));
}

export function formatDateTime(iso: string | Date, timeZone: string) {
  return new Intl.DateTimeFormat("fr-FR", { dateStyle: "long", timeStyle: "short", timeZone }).format(new Date(iso));
}

export function formatMoney(cents: number, currency = "EUR") {
  return new Intl.NumberFormat("fr-FR", { style: "currency", currency }).format(cents / 100);
}
