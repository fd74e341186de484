import { redirect } from "@remix-run/node";
import { OPERATOR_HOME, OPERATOR_SIGN_IN, operatorAction, operatorLoader } from "~/core/operator/route.server";
import { clearOperatorCookie, revokeOperatorSession } from "~/core/operator/session.server";

// Signing out is a POST (the shell's button); a plain visit changes nothing.
export const loader = /* @__PURE__ */ operatorLoader(async () => redirect(OPERATOR_HOME), { public: true });

export const action = /* @__PURE__ */ operatorAction(
  async ({ tx, operator, context }) => {
    if (operator) {
      await revokeOperatorSession(tx, operator.sessionId);
      context.log.info("operator signed out", { operatorId: operator.id });
    }
    return redirect(OPERATOR_SIGN_IN, { headers: { "Set-Cookie": clearOperatorCookie() } });
  },
  { public: true },
);
