import { describe } from 'vitest';
import { backendEnabled, backends } from '../support/backends';
import { runStorageContract } from './storage-contract';

describe.runIf(backendEnabled('memory'))('memory', () => runStorageContract({ name: 'memory', create: backends.memory }));
