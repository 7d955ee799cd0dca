import { describe } from 'vitest';
import { backendEnabled, backends } from '../support/backends';
import { runStorageContract } from './storage-contract';

describe.runIf(backendEnabled('pglite'))('pglite', () => runStorageContract({ name: 'pglite', create: backends.pglite }));
