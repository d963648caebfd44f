// rbac.authorization.k8s.io/v1 RoleBinding and ClusterRoleBinding rows.

import { ageColumn, column, nameColumn, str } from './columns.js';
import { since } from './duration.js';
import type { JsonObject, TablePrinter } from './table.js';

/** Users, groups and "namespace/name" service accounts, each joined with ", ". */
export function bindingSubjects(subjects: unknown): [string, string, string] {
  const users: string[] = [];
  const groups: string[] = [];
  const sas: string[] = [];
  for (const s of (Array.isArray(subjects) ? subjects : []) as JsonObject[]) {
    if (s?.kind === 'ServiceAccount') sas.push(`${str(s.namespace)}/${str(s.name)}`);
    else if (s?.kind === 'User') users.push(str(s.name));
    else if (s?.kind === 'Group') groups.push(str(s.name));
  }
  return [users.join(', '), groups.join(', '), sas.join(', ')];
}

function bindingPrinter(scope: string): TablePrinter {
  return {
    columns: [
      nameColumn(),
      column('Role', 'string', 'Kind/name of the role being granted.'),
      ageColumn(),
      column('Users', 'string', `Users bound by this ${scope}.`, 1),
      column('Groups', 'string', `Groups bound by this ${scope}.`, 1),
      column('ServiceAccounts', 'string', `Service accounts bound by this ${scope}.`, 1),
    ],
    row(b, now) {
      const [users, groups, sas] = bindingSubjects(b.subjects);
      return [
        str(b.metadata?.name),
        `${str(b.roleRef?.kind)}/${str(b.roleRef?.name)}`,
        since(b.metadata?.creationTimestamp, now),
        users,
        groups,
        sas,
      ];
    },
  };
}

export const roleBindingPrinter = bindingPrinter('role binding');
export const clusterRoleBindingPrinter = bindingPrinter('cluster role binding');
