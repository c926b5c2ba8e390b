'use strict';
/**
 * A small local Serverless plugin: the clickstream's parts of the template that are generated, not written, so that
 * they cannot drift from what they come from.
 * - the Glue table's columns (ClicksTable), from the stored click's schema (shared/storedClick.ts), the same that
 *   types the local report's DuckDB view;
 * - one AWS::Athena::NamedQuery per SQL file of queries/ (ClicksQuery<Name>), in the clicks workgroup and database,
 *   its text the file's: the questions `npm run report` asks, ready to run in the Athena console.
 */
// The schema and the query loader are TypeScript.
const { loadTypeScript: load } = require('./typescript');

/** ClicksQuery + the query's name in PascalCase: most_viewed -> ClicksQueryMostViewed. */
const resourceId = (/** @type {string} */ name) =>
  `ClicksQuery${name
    .split('_')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('')}`;

class Clickstream {
  /** @param {any} serverless the Serverless instance */
  constructor(serverless) {
    this.serverless = serverless;
    // After resources/clicks.yml is merged into the template (package:finalize), before the template is saved.
    this.hooks = { 'before:aws:package:finalize:saveServiceState': () => this.addClickstream() };
  }

  addClickstream() {
    const resources = this.serverless.service.provider.compiledCloudFormationTemplate.Resources;
    const table = resources.ClicksTable;
    if (!table || !resources.ClicksWorkGroup || !resources.ClicksDatabase) {
      throw new Error('clickstream: the template has no ClicksTable, ClicksDatabase and ClicksWorkGroup (resources/clicks.yml)');
    }
    const { glueColumns } = load('shared/storedClick.ts');
    const { loadQueries } = load('scripts/report/queries.ts');
    table.Properties.TableInput.StorageDescriptor.Columns = glueColumns();
    for (const query of loadQueries()) {
      const id = resourceId(query.name);
      if (resources[id]) throw new Error(`clickstream: the template already has a resource ${id}`);
      resources[id] = {
        Type: 'AWS::Athena::NamedQuery',
        Properties: {
          Name: query.name,
          // At most 1024 characters (CloudFormation's limit).
          Description: query.description.length > 1024 ? `${query.description.slice(0, 1023)}…` : query.description,
          Database: { Ref: 'ClicksDatabase' },
          WorkGroup: { Ref: 'ClicksWorkGroup' },
          QueryString: query.sql,
        },
      };
    }
  }
}

module.exports = Clickstream;
