// Server-side printing for `kubectl get` (meta.k8s.io/v1 Table).

export interface TableColumn {
  name: string;
  type: 'string' | 'integer' | 'number' | 'boolean' | 'date';
  format: string;
  description: string;
  /** 0 = always shown; >0 only with -o wide. */
  priority: number;
}

export type JsonObject = Record<string, any>;

export interface TablePrinter {
  columns: TableColumn[];
  /** Cells in column order, formatted exactly as the Kubernetes API server formats them. */
  row(obj: JsonObject, now: Date): unknown[];
}
