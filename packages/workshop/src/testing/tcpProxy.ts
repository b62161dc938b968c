// The proxy lives with the simulator, which runs the workshop's servers behind it for its incidents.
export { proxyServer, startTcpProxy, type TcpProxy } from '../simulator/tcp-proxy.js';
