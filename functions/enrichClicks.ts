/** The clicks delivery stream's data transformation: each click gets its mysfit's name, species and alignment. */
import type { FirehoseTransformationHandler } from 'aws-lambda';
import { enrichClicks } from '../shared/enrichment';

export const handler: FirehoseTransformationHandler = (event) => enrichClicks(event);
