// The CLI as tests run it: from its TypeScript source through tsx (a dev dependency), so every test runs the code as
// it is now rather than the last build in out/cli. test/cli/packaging.test.ts runs the build, installed from the tarball.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../../src-main/cli/main.ts');
main();
