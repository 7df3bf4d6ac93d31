// Every test (and every CLI or runtime process a test spawns) loads the worked example by its
// path unless the test names another definition, so replacing os/ cannot change the suite.
import { EXAMPLE_OS_MODULE } from '../support/example';

process.env.AIOS_OS_MODULE ??= EXAMPLE_OS_MODULE;
