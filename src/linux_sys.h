#ifndef RT_LINUX_SYS_H
#define RT_LINUX_SYS_H
#endif
