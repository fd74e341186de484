import { Link } from "@remix-run/react";
import { formatDateTime } from "./format";

/*
 * The outbox as a town's staff (admin+/outbox) and the operator (operateur+/communes.$slug.courriels)
 * see it. Each console keeps its own wording, in its own namespace, so the texts come in as props.
 */

type OutboxListItem<S extends string> = { id: string; created_at: string; to_address: string; subject: string; status: S };

export function OutboxTable<S extends string>({
  emails,
  timeZone,
  emailHref,
  statusLabel,
  labels,
  className,
}: {
  emails: readonly OutboxListItem<S>[];
  timeZone: string;
  emailHref: (id: string) => string;
  statusLabel: (status: S) => string;
  labels: { caption: string; date: string; to: string; subject: string; status: string };
  className?: string;
}) {
  return (
    <div className="table-scroll" tabIndex={0} role="region" aria-labelledby="outbox-caption">
      <table className={className}>
        <caption id="outbox-caption" className="visually-hidden">
          {labels.caption}
        </caption>
        <thead>
          <tr>
            <th scope="col">{labels.date}</th>
            <th scope="col">{labels.to}</th>
            <th scope="col">{labels.subject}</th>
            <th scope="col">{labels.status}</th>
          </tr>
        </thead>
        <tbody>
          {emails.map((e) => (
            <tr key={e.id}>
              <td>{formatDateTime(e.created_at, timeZone)}</td>
              <td>{e.to_address}</td>
              <td>
                <Link to={emailHref(e.id)}>{e.subject}</Link>
              </td>
              <td>{statusLabel(e.status)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function OutboxPagination({
  page,
  hasMore,
  pageHref,
  labels,
}: {
  page: number;
  hasMore: boolean;
  pageHref: (page: number) => string;
  labels: { nav: string; newer: string; older: string; current: string };
}) {
  if (page <= 1 && !hasMore) return null;
  return (
    <nav aria-label={labels.nav} className="pagination">
      <ul>
        {page > 1 ? (
          <li>
            <Link to={pageHref(page - 1)}>{labels.newer}</Link>
          </li>
        ) : null}
        <li aria-current="page">{labels.current}</li>
        {hasMore ? (
          <li>
            <Link to={pageHref(page + 1)}>{labels.older}</Link>
          </li>
        ) : null}
      </ul>
    </nav>
  );
}

type OutboxEmail<S extends string> = {
  to_address: string;
  status: S;
  error: string | null;
  created_at: string;
  sent_at: string | null;
};

/** An email's envelope; the body stays with each page, which decides whether its links are followable. */
export function OutboxEmailMeta<S extends string>({
  email,
  timeZone,
  statusLabel,
  labels,
}: {
  email: OutboxEmail<S>;
  timeZone: string;
  statusLabel: (status: S) => string;
  labels: { to: string; date: string; status: string; sentAt: string; error: string };
}) {
  return (
    <dl className="email-meta">
      <dt>{labels.to}</dt>
      <dd>{email.to_address}</dd>
      <dt>{labels.date}</dt>
      <dd>{formatDateTime(email.created_at, timeZone)}</dd>
      <dt>{labels.status}</dt>
      <dd>{statusLabel(email.status)}</dd>
      {email.sent_at ? (
        <>
          <dt>{labels.sentAt}</dt>
          <dd>{formatDateTime(email.sent_at, timeZone)}</dd>
        </>
      ) : null}
      {email.error ? (
        <>
          <dt>{labels.error}</dt>
          <dd>{email.error}</dd>
        </>
      ) : null}
    </dl>
  );
}
