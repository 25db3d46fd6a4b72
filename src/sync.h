#ifndef RT_SYNC_H
#define RT_SYNC_H
#endif
