export * from './file-storage/model/index.js';
export * from './domain/index.js';
export { readWorkshopConfig, defaultPorts, type WorkshopConfig, type WorkshopPorts } from './config.js';
export { startWorkshop, workshopOptionsFrom, workshopServices, infrastructureService, type StartWorkshopOptions, type Workshop, type WorkshopService } from './start-workshop.js';
export { buildShopApp, type ShopConfig, type ShopDeps } from './shop-api/index.js';
export { buildCrmApp, ensureStaffAccount, type CrmConfig, type CrmDeps, type StaffAccount } from './crm-api/index.js';
export { buildMesApp, type MesConfig, type MesDeps } from './mes-api/index.js';
export { buildFileStorageApp, defaultMaxModelBytes, type FileStorageConfig, type FileStorageDeps } from './file-storage/index.js';
export {
  startSimulator, incidentNames, checkIncidentsAvailable, buildSimulatorControlApp, putServersBehindProxies, readSimulatorConfig,
  ApiClient, modelForm, type Simulator, type SimulatorOptions, type IncidentName, type IncidentState, type InfrastructureSwitches, type ProxiedServers, type SimulatorConfig,
} from './simulator/index.js';
