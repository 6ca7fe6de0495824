FROM alpine as my_stage.v1
FROM My_Stage.V1 as b1
