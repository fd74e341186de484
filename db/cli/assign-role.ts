import { AssignRoleError, assignRoleFromCli, describeAssignment, parseAssignRoleArgs, type AssignRoleRequest } from "../assign-role.ts";
import { prepareDatabase } from "../setup.ts";

function requestOrExit(): AssignRoleRequest {
  try {
    return parseAssignRoleArgs(process.argv.slice(2));
  } catch (error) {
    console.error((error as Error).message);
    process.exit(2);
  }
}

const request = requestOrExit();
const db = await prepareDatabase({});
try {
  console.log(describeAssignment(await assignRoleFromCli(db.ownerUrl, request)));
} catch (error) {
  console.error(error instanceof AssignRoleError ? error.message : error);
  process.exitCode = 1;
} finally {
  await db.embedded?.stop();
}
