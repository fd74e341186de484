import { inject } from "vitest";

process.env.APP_DATABASE_URL = inject("appUrl");
process.env.TEST_OWNER_DATABASE_URL = inject("ownerUrl");
process.env.SESSION_SECRET ??= "test-secret-test-secret-test-secret-0123456789";
