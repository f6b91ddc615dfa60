/**
 * Makes the loaded GovcConfig injectable: the whole tree as `GovcConfig`, each section as its own
 * class (`ServerConfig`, `StorageConfig`, …) so a module asks only for its slice, and the same
 * values through @nestjs/config's ConfigService (`get('server.port')`) for code that prefers it.
 * Global, registered once by AppModule.
 */
import { type DynamicModule, Module, type Provider } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { GovcConfig } from './config.schema';

@Module({})
export class GovcConfigModule {
  static forRoot(config: GovcConfig): DynamicModule {
    const sections = Object.values(config) as object[];
    const sectionProviders: Provider[] = sections.map((section) => ({
      provide: section.constructor,
      useValue: section,
    }));
    return {
      module: GovcConfigModule,
      global: true,
      imports: [
        ConfigModule.forRoot({
          ignoreEnvFile: true,
          skipProcessEnv: true,
          // A plain copy: ConfigService keeps its own store; the frozen tree stays untouched.
          load: [() => structuredClone({ ...config }) as Record<string, unknown>],
        }),
      ],
      providers: [{ provide: GovcConfig, useValue: config }, ...sectionProviders],
      exports: [GovcConfig, ...sectionProviders, ConfigModule],
    };
  }
}
