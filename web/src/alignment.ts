/**
 * A mysfit's alignment in words, on both scales at once as role-playing games say it ("Lawful Evil", "Chaotic
 * Good"), and "True neutral" when it is neutral on both: two chips reading "Neutral" "Neutral" named neither scale.
 */
export function alignment(lawchaos: string, goodevil: string): string {
  return lawchaos === 'Neutral' && goodevil === 'Neutral' ? 'True neutral' : `${lawchaos} ${goodevil}`;
}
