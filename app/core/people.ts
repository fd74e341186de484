// The choices of the people list's and invitation list's filters, shared by the server
// (people.server.ts) and the pages, whose browser bundle gets nothing from `.server` files.

export const PEOPLE_STATUSES = ["actif", "desactive", "non-verifie"] as const;
export type PeopleStatus = (typeof PEOPLE_STATUSES)[number];
export const PEOPLE_SORTS = ["nom", "nom-desc", "recent", "ancien"] as const;
export type PeopleSort = (typeof PEOPLE_SORTS)[number];

export type PeopleQuery = { q: string; role: string; statut: PeopleStatus | ""; tri: PeopleSort; page: number };

export const INVITATION_STATUSES = ["pending", "expired", "accepted", "revoked"] as const;
export type InvitationStatus = (typeof INVITATION_STATUSES)[number];
