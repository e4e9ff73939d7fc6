// Values shared by the mock's tests. The spec itself is read through
// @codearts-package-status/test-support, independently of the mock's own loader, so the tests
// check the mock against the document rather than against the mock's reading of it.

/** An IAM token the mock accepts: it checks that one is present, not what it says. */
export const TOKEN = "MIIZ-test-token-0123456789abcdef";
