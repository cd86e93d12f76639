import { distance } from 'fastest-levenshtein';

/** The candidate closest to a misspelt name, when it is close enough to be a likely typo. */
export function closestName(name: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const d = distance(name.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [candidate, d];
  }
  return best !== undefined && bestDistance <= Math.max(2, Math.floor(name.length / 3)) ? best : undefined;
}

/** ` (did you mean X?)`, or nothing; `show` writes the candidate as the user should write it. */
export function didYouMean(
  name: string,
  candidates: Iterable<string>,
  show = (candidate: string) => candidate,
): string {
  const best = closestName(name, candidates);
  return best ? ` (did you mean ${show(best)}?)` : '';
}
