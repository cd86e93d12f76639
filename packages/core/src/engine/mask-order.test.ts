import { describe, expect, it } from 'vitest';
import { dependenciesOf, maskOrder } from './mask-order.ts';

describe('maskOrder', () => {
  it('puts each column after those it reads, with kept columns that are read', () => {
    // 0 kept, read by 3; 1 masked; 2 kept, not read; 3 reads 0 and 4; 4 reads 1.
    const columns = [
      { masked: false },
      { masked: true },
      { masked: false },
      { masked: true, dependsOn: [0, 4] },
      { masked: true, dependsOn: [1] },
    ];
    const result = maskOrder(columns);
    expect(result).toEqual({ order: [1, 0, 4, 3] });
    expect(dependenciesOf(columns, 3, [1, 0, 4, 3])).toEqual([1, 0, 4]);
    expect(dependenciesOf(columns, 1, [1, 0, 4, 3])).toEqual([]);
  });

  it('returns a cycle with its first column repeated', () => {
    const cycle = maskOrder([
      { masked: true, dependsOn: [1] },
      { masked: true, dependsOn: [2] },
      { masked: true, dependsOn: [0] },
    ]);
    expect(cycle).toEqual({ cycle: [0, 1, 2, 0] });
    expect(maskOrder([{ masked: true }, { masked: true, dependsOn: [1] }])).toEqual({ cycle: [1, 1] });
  });
});
