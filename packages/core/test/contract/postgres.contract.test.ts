import { describe } from 'vitest';
import { backendEnabled, backends } from '../support/backends';
import { runStorageContract } from './storage-contract';

describe.runIf(backendEnabled('postgres'))('postgres', () => runStorageContract({ name: 'postgres', create: backends.postgres }));
