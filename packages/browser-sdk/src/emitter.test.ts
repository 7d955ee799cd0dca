import { describe, expect, it } from 'vitest';
import { createEmitter } from './emitter';

describe('createEmitter', () => {
  it('calls the listeners of a type, in order, and keeps going when one throws', () => {
    const { on, emit } = createEmitter();
    const heard: unknown[] = [];
    on('drop', (count, reason) => heard.push(['first', count, reason]));
    on('drop', () => {
      throw new Error('listener bug');
    });
    on('drop', (count) => heard.push(['third', count]));
    expect(() => emit('drop', 3, 'quota')).not.toThrow();
    expect(heard).toEqual([
      ['first', 3, 'quota'],
      ['third', 3],
    ]);
  });

  it('ignores listeners of other types', () => {
    const { on, emit } = createEmitter();
    const heard: unknown[] = [];
    on('other' as 'drop', () => heard.push('other'));
    emit('drop', 1, 'size');
    expect(heard).toEqual([]);
  });
});
