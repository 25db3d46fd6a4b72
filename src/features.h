#ifndef RT_FEATURES_H
#define RT_FEATURES_H
#endif
