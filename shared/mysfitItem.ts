/**
 * A mysfit in the table and in the API: the workshop's attribute names (PascalCase in the table, its field names
 * in JSON), so the legacy service and the workshop's front end keep working. Pure: no client, no settings.
 */

export { FILTER_VALUES, GOOD_EVIL, LAW_CHAOS, type Mysfit, type MysfitFilter } from './contract';
import type { Mysfit } from './contract';

/** A mysfit as the table stores it. */
export interface MysfitItem {
  MysfitId: string;
  Name: string;
  Species: string;
  Age: number;
  Description: string;
  GoodEvil: string;
  LawChaos: string;
  ThumbImageUri: string;
  ProfileImageUri: string;
  Likes?: number;
  Adopted?: boolean;
  AdoptedBy?: string;
  AdoptedAt?: string;
}

export const mysfitKey = (mysfitId: string) => ({ MysfitId: mysfitId });

export function toMysfit(item: MysfitItem): Mysfit {
  return {
    mysfitId: item.MysfitId,
    name: item.Name,
    species: item.Species,
    age: Number(item.Age),
    description: item.Description,
    goodevil: item.GoodEvil,
    lawchaos: item.LawChaos,
    thumbImageUri: item.ThumbImageUri,
    profileImageUri: item.ProfileImageUri,
    likes: Number(item.Likes ?? 0),
    adopted: item.Adopted === true,
  };
}

/** The facts of a mysfit as the seed data holds them. */
export type MysfitFacts = Omit<Mysfit, 'likes' | 'adopted'>;

/**
 * The write that seeds one mysfit: its facts are set, while Likes and Adopted keep any value they already have,
 * so seeding again never resets what users did.
 */
export function seedItemUpdate(tableName: string, facts: MysfitFacts) {
  return {
    TableName: tableName,
    Key: mysfitKey(facts.mysfitId),
    UpdateExpression:
      'SET #name = :name, Species = :species, Age = :age, Description = :description, GoodEvil = :goodevil, ' +
      'LawChaos = :lawchaos, ThumbImageUri = :thumb, ProfileImageUri = :profile, ' +
      'Likes = if_not_exists(Likes, :zero), Adopted = if_not_exists(Adopted, :false)',
    ExpressionAttributeNames: { '#name': 'Name' },
    ExpressionAttributeValues: {
      ':name': facts.name,
      ':species': facts.species,
      ':age': facts.age,
      ':description': facts.description,
      ':goodevil': facts.goodevil,
      ':lawchaos': facts.lawchaos,
      ':thumb': facts.thumbImageUri,
      ':profile': facts.profileImageUri,
      ':zero': 0,
      ':false': false,
    },
  };
}
