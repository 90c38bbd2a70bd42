/** Whether a metric is maximised (r2, accuracy, AUC) or minimised (errors, losses). */
export type Direction = 'max' | 'min';
