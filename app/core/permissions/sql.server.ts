// CASL rules as a SQL filter. The ability's rules for an action and subject type become a
// Kysely boolean expression: no rule gives `false` (no rows), an unconditional grant gives
// `true`. Only the columns the caller whitelists and the operators below are translated;
// anything else throws, so a rule can never reach a column or an operator nobody reviewed.
// NULL is handled as CASL handles a missing value, so that the SQL filter and `ability.can`
// on a loaded row always agree.
import type { AnyAbility } from "@casl/ability";
import { rulesToAST } from "@casl/ability/extra";
import { sql, type RawBuilder, type SqlBool } from "kysely";

/** Rule attribute -> SQL column (qualified or not); a list means attribute = column. */
export type ColumnMap = Readonly<Record<string, string>> | readonly string[];

type Node = { operator: string; value: unknown; field?: string };
type Scalar = string | number | boolean;

const TRUE = sql<SqlBool>`true`;
const FALSE = sql<SqlBool>`false`;

const isScalar = (v: unknown): v is Scalar => typeof v === "string" || typeof v === "number" || typeof v === "boolean";

export class PermissionQueryError extends Error {}

function compile(node: Node, columns: ReadonlyMap<string, string>): RawBuilder<SqlBool> {
  if (node.field === undefined) {
    const children = (Array.isArray(node.value) ? node.value : [node.value]) as Node[];
    const parts = children.map((child) => compile(child, columns));
    switch (node.operator) {
      case "and":
        return parts.length ? sql<SqlBool>`(${sql.join(parts, sql` and `)})` : TRUE;
      case "or":
        return parts.length ? sql<SqlBool>`(${sql.join(parts, sql` or `)})` : FALSE;
      case "not":
        if (parts.length !== 1) throw new PermissionQueryError(`permissions: "not" over ${parts.length} conditions`);
        // A NULL comparison inside stays NULL under NOT in SQL; CASL counts it false.
        return sql<SqlBool>`(not coalesce(${parts[0]}, false))`;
      default:
        throw new PermissionQueryError(`permissions: operator "${node.operator}" is not allowed in a SQL filter`);
    }
  }
  const column = columns.get(node.field);
  if (!column) throw new PermissionQueryError(`permissions: attribute "${node.field}" is not among the whitelisted columns (${[...columns.keys()].join(", ")})`);
  const ref = sql.ref(column);
  const { operator, value } = node;
  switch (operator) {
    case "eq":
      if (value === null) return sql<SqlBool>`(${ref} is null)`;
      if (!isScalar(value)) break;
      return sql<SqlBool>`(${ref} = ${value})`;
    case "ne":
      if (value === null) return sql<SqlBool>`(${ref} is not null)`;
      if (!isScalar(value)) break;
      return sql<SqlBool>`(${ref} is distinct from ${value})`;
    case "in":
    case "nin": {
      if (!Array.isArray(value) || !value.every(isScalar)) break;
      if (value.length === 0) return operator === "in" ? FALSE : TRUE;
      const list = sql.join(value.map((v) => sql`${v}`));
      return operator === "in" ? sql<SqlBool>`(${ref} in (${list}))` : sql<SqlBool>`(${ref} is null or ${ref} not in (${list}))`;
    }
    default:
      throw new PermissionQueryError(`permissions: operator "${operator}" on "${node.field}" is not allowed in a SQL filter`);
  }
  throw new PermissionQueryError(`permissions: value ${JSON.stringify(value)} of "${operator}" on "${node.field}" is not allowed in a SQL filter`);
}

/**
 * The rows of `subjectType` the ability allows `action` on, as a `where` expression:
 * `query.where(accessibleWhere(ability, "read", "Initiative", { columns: { status: "i.status" } }))`.
 * Throws PermissionQueryError on an attribute not in `columns` or an operator other than
 * eq, ne, in, nin (and the and / or / not that combine rules).
 */
export function accessibleWhere(ability: AnyAbility, action: string, subjectType: string, options: { columns: ColumnMap }): RawBuilder<SqlBool> {
  const columns = new Map<string, string>(
    Array.isArray(options.columns) ? (options.columns as readonly string[]).map((c) => [c, c]) : Object.entries(options.columns),
  );
  const ast = rulesToAST(ability, action, subjectType) as Node | null;
  if (!ast) return FALSE;
  return compile(ast, columns);
}
