/** Every attempt this process made to connect to the ECS metadata address, as "host:port". */
export declare const metadataConnections: string[];
