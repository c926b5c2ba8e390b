/** The workshop's mysfits table (MysfitId hash key, GoodEvilIndex, LawChaosIndex): MYSFITS_TABLE. */
import { required } from './settings';

export const MYSFITS_TABLE = required('MYSFITS_TABLE');
