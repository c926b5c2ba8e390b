/**
 * The signed-in person of the sample events in events/ (what `serverless invoke local` hands a signed-in route): a
 * named sample user of their own, never the person a reader signs up in the README's steps (Ada), so that invoking a
 * function never shows or changes that person's likes and adoptions.
 */
export const SAMPLE_USER = {
  sub: '5a3b1e0c-5a4d-4c1e-9e55-53a3b1e0c5a4',
  email: 'sample.user@example.com',
} as const;
