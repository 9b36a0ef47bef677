export * from './enums';
export * from './identity';
export * from './cascade';
export * from './audit';
export * from './people';
export * from './api';
export * from './reports';
export * from './kpi-quality';
