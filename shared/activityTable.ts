/** Per-user records, likes and adoptions: ACTIVITY_TABLE. */
import { required } from './settings';

export const ACTIVITY_TABLE = required('ACTIVITY_TABLE');
