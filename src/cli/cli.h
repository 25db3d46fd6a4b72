#ifndef RT_CLI_H
#define RT_CLI_H
#endif
