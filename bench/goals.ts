// The targets the bench judges (met: yes or no) and the retired ones, printed with the raw-client floor
// measured in the same run beside them: the floor itself misses those on this runtime.
export interface Goals {
  readonly met: readonly (readonly [what: string, measured: string, met: boolean])[];
  readonly retired: readonly (readonly [what: string, measured: string, floor: string])[];
}

export function printGoals(goals: Goals): void {
  console.log('\n| target | measured | met |\n|---|---|---|');
  for (const [what, value, met] of goals.met) console.log(`| ${what} | ${value} | ${met ? 'yes' : '**no**'} |`);
  console.log('\n| retired target (below the floor) | measured | raw client (floor) |\n|---|---|---|');
  for (const [what, value, floor] of goals.retired) console.log(`| ${what} | ${value} | ${floor} |`);
}
